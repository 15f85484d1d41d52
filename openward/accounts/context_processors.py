from django.utils.functional import SimpleLazyObject

from .models import Role, RoleGrant
from .staff_home import HOME_ROLES


def staff_home(request):
    """STAFF_HOME: does the signed-in person have a staff home? (Asked only when a page uses it.)"""

    def has_one() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return RoleGrant.objects.active().filter(user=user, role__in=(*HOME_ROLES, Role.SITE_ADMIN)).exists()

    return {"STAFF_HOME": SimpleLazyObject(has_one)}
