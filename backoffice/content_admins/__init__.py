"""The content's admins (the back office's pages for each subject app's models), on
``backoffice.content_admin.PublishableAdmin``: registered when the admin imports
``backoffice.admin``. They live here, not in the subject apps, because they use the back
office's workflow, locking, history and preview (a subject app may not import a feature)."""
