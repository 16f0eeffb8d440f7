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

# Which content has the draft-review-publish workflow, and which is edited alongside
# without one (tags, the days of a week): the content registry's ``workflow_models()`` and
# ``supporting_models()`` (content/registry.py). The groups' permissions were given by
# migration 0001_roles from the list as it stood then.
