"""plans' pages, one module per area: drafting (the plan and its sections), rows, actions
(My actions), review (the review page and transitions), revisions (frozen revisions and
adjustments), exports (PDF), feeds (CSV and iCalendar), dashboard (panels)."""
