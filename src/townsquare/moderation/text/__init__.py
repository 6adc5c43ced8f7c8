"""The text layer of moderation: one normalisation of a comment that every phase and detector reads."""

from townsquare.moderation.text.normalise import FORMS, Form, FormName, NormalisedText, normalise

__all__ = ["FORMS", "Form", "FormName", "NormalisedText", "normalise"]
