from django.http import HttpRequest, HttpResponse


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    raise NotImplementedError
