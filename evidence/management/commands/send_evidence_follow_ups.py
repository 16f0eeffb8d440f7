from django.core.management.base import BaseCommand

from evidence.services import contact_emails_forget, follow_ups_send_due, one_time_codes_delete_old


class Command(BaseCommand):
    help = (
        "Send the evidence-of-use follow-up emails that are due (the first on the follow-up "
        "date, one reminder a week later, then none) and delete old one-time codes. Safe to "
        "run as often as you like: each email is recorded and sent once. Addresses are "
        "forgotten once no follow-up email will go to them."
    )

    def handle(self, *args, **options):
        sent = follow_ups_send_due()
        deleted = one_time_codes_delete_old()
        forgotten = contact_emails_forget()
        self.stdout.write(
            f"Follow-up emails sent: {sent}. Old one-time codes deleted: {deleted}. "
            f"Addresses no longer needed forgotten: {forgotten}."
        )
