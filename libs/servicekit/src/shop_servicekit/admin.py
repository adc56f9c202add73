"""The guard on admin and internal endpoints: `Authorization: Bearer <ADMIN_TOKEN>`.

router = APIRouter(dependencies=[Depends(admin_guard(settings.admin_token))])
"""

import secrets
from collections.abc import Awaitable, Callable

from fastapi import Request
from pydantic import SecretStr

from shop_servicekit.problems import Problem


def admin_guard(token: SecretStr) -> Callable[[Request], Awaitable[None]]:
    expected = f"Bearer {token.get_secret_value()}".encode()

    async def require_admin(request: Request) -> None:
        given = request.headers.get("authorization", "").encode()
        # Constant-time comparison: the token is the only thing guarding repairs and faults.
        if not secrets.compare_digest(given, expected):
            raise Problem(
                401,
                "unauthorized",
                "Admin token required",
                detail="Send Authorization: Bearer <ADMIN_TOKEN>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return require_admin
