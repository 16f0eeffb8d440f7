"""What the scheduler records: one row per (job, period) and one per effect done."""

from django.db import models


class JobRun(models.Model):
    """A job's run for one period. The unique (job, period) pair is the claim: whoever
    inserts it (or takes it over once its lease has run out, or its retry is due) runs the
    job; nobody else does."""

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed (to be retried)"
        GAVE_UP = "gave_up", "Failed (no more attempts)"

    job = models.CharField(max_length=100)
    period = models.CharField(max_length=40, help_text="The scheduled moment (local time).")
    state = models.CharField(max_length=12, choices=State.choices, default=State.RUNNING)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    result = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="scheduling_one_run_per_period")
        ]
        indexes = [models.Index(fields=["created_at"], name="scheduling_run_created")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.job} {self.period} ({self.state})"


class JobEffect(models.Model):
    """An effect a job has done (an email sent, a digest built), by its unique key: a
    rerun of the job finds the key and does not do the effect again."""

    key = models.CharField(max_length=255, unique=True)
    job = models.CharField(max_length=100, blank=True)
    period = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="scheduling_effect_created")]

    def __str__(self) -> str:
        return self.key
