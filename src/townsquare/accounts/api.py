from django.http import HttpRequest
from ninja import Router, Schema

from townsquare.accounts.models import Profile
from townsquare.lib.http import reader_of

router = Router(tags=["accounts"])


class MeOut(Schema):
    signed_in: bool
    display_name: str | None = None


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    reader = reader_of(request)
    if reader is None:
        return MeOut(signed_in=False)
    profile = Profile.objects.filter(user_id=reader.pk).first()
    return MeOut(signed_in=True, display_name=profile.display_name if profile else reader.get_username())
