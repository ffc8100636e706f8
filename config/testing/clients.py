from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken


def client_for(user=None) -> APIClient:
    """An API client that authenticates with a real Bearer token for the user."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client
