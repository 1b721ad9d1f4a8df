"""plans URLs, one module per area so the areas can grow without stepping on each other."""

from .urls_drafting import urlpatterns as drafting
from .urls_exports import urlpatterns as exports
from .urls_workflow import urlpatterns as workflow

app_name = "plans"

urlpatterns = drafting + workflow + exports
