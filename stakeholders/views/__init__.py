"""Pages of the stakeholders app. Every view asks stakeholders.selectors for the plan or
row first (404 outside the user's homes, 403 for a role that may not), then calls a
service; the rules live in stakeholders.services."""
