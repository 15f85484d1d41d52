from django.utils.functional import SimpleLazyObject

from .staff_home import has_staff_home


def staff_home(request):
    """STAFF_HOME: does the signed-in person have a staff home? (Asked only when a page uses it.)"""

    def has_one() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return has_staff_home(user)

    return {"STAFF_HOME": SimpleLazyObject(has_one)}
