from rest_framework.test import APIClient

from accounts.tokens import token_pair_for


def client_for(user=None) -> APIClient:
    """An API client that authenticates with a real Bearer token for the user, as issued by
    POST /api/auth/token."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(user).access_token}")
    return client
