"""The local moderation model: features, training, evaluation and scoring of the shipped artefacts.

The public face is `townsquare.classifier.api`; everything else is an implementation detail.
"""
