"""Forms: drafting (the plan, its sections and rows, an action's status) and workflow
(decisions, review comments, closing, adjustments). Each lays itself out with crispy-forms
(a FormHelper), so every form on the site renders one way."""
