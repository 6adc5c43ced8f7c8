from django.db import models


class JobReceipt(models.Model):
    """Proof that a job's side effect happened once (an e-mail sent), so a redelivery skips it.

    A job claims its key in the same transaction as its side effect: if the effect fails, the claim
    rolls back and a retry may try again; if the claim exists, the job has nothing left to do.
    """

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
