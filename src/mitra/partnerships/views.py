from django.http import HttpRequest, HttpResponse


def partnership_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def join(request: HttpRequest, token: str) -> HttpResponse:
    raise NotImplementedError
