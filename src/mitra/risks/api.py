"""The risks API, under /api/v1/partnerships/{partnership_id}/…"""

from ninja import Router

router = Router(tags=["risks"])
