"""The joint business plan API, under /api/v1/partnerships/{partnership_id}/…"""

from ninja import Router

router = Router(tags=["plans"])
