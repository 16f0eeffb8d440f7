"""The staff roles, as Django groups (made by migration backoffice.0001_roles).

- Editor: creates and edits content as drafts and submits it for review.
- Publisher: everything an Editor does, plus publish, unpublish and archive.
- Partnership admin: manages staff users, their roles and their two-factor devices.
- Trainer: builds session packs (session_packs.0002_trainer_group).
"""

EDITOR = "Editor"
PUBLISHER = "Publisher"
PARTNERSHIP_ADMIN = "Partnership admin"
TRAINER = "Trainer"

STAFF_ROLES = (EDITOR, PUBLISHER, PARTNERSHIP_ADMIN)

# (app_label, model_name) of the content with the draft-review-publish workflow.
WORKFLOW_MODELS = (
    ("themes", "theme"),
    ("themes", "practiceweek"),
    ("themes", "glossaryterm"),
    ("practice_points", "review"),
    ("practice_points", "practicepoint"),
    ("resources", "resource"),
)
# Content without its own workflow, edited alongside (tags and the days of a week).
SUPPORTING_MODELS = (
    ("themes", "agency"),
    ("themes", "practiceweekday"),
)
