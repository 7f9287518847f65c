"""The dashboard's HTTP routes, added to the daemon's API app (read-only, no token):

GET /                          the page (HTML; its script and styles under /dashboard/static/)
GET /dashboard/static/...      the page's script, styles and the vendored chart library (uPlot)
GET /api/dashboard             `DashboardData`: token rows, totals, health, recent cycles,
                               deferrals, failures, data age (polled by the page)
GET /api/dashboard/history     `HistorySeries` per ecosystem cycle; `?mint=<mint>` for one token
GET /api/dashboard/schema      JSON Schema of both documents
"""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from asdf_dat.daemon.dashboard.models import DashboardData, HistorySeries
from asdf_dat.daemon.dashboard.service import Dashboard, UnknownMint

logger = logging.getLogger(__name__)

STATIC_DIR = Path(str(files("asdf_dat.daemon.dashboard").joinpath("static")))
VENDORED = ("vendor/uPlot.iife.min.js", "vendor/uPlot.min.css")
# Everything the page loads comes from the daemon itself (works offline, no third party).
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
MAX_MINT_LENGTH = 64


def missing_assets() -> list[str]:
    """Vendored files that are not there (scripts/vendor_ui.sh, run by scripts/build.sh, puts them)."""
    return [name for name in VENDORED if not (STATIC_DIR / name).is_file()]


def dashboard_routes(dashboard: Dashboard) -> list[BaseRoute]:
    missing = missing_assets()
    if missing:
        logger.error("dashboard: %s missing: run scripts/build.sh (it vendors the chart library)", ", ".join(missing))
    page = (STATIC_DIR / "index.html").read_bytes()

    async def index(request: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    async def data(request: Request) -> Response:
        dashboard.viewed()
        return JSONResponse(dashboard.data().model_dump(mode="json"), headers={"Cache-Control": "no-store"})

    async def history(request: Request) -> Response:
        dashboard.viewed()
        mint = request.query_params.get("mint") or None
        if mint is not None and len(mint) > MAX_MINT_LENGTH:
            return JSONResponse({"error": "not a mint"}, 400)
        try:
            series = dashboard.history(mint)
        except UnknownMint:
            return JSONResponse({"error": "unknown mint: not a token of this ecosystem"}, 404)
        return JSONResponse(series.model_dump(mode="json"), headers={"Cache-Control": "no-store"})

    async def schema(request: Request) -> Response:
        return JSONResponse({
            "DashboardData": DashboardData.model_json_schema(),
            "HistorySeries": HistorySeries.model_json_schema(),
        })

    return [
        Route("/", index, methods=["GET"]),
        Route("/api/dashboard", data, methods=["GET"]),
        Route("/api/dashboard/history", history, methods=["GET"]),
        Route("/api/dashboard/schema", schema, methods=["GET"]),
        Mount("/dashboard/static", app=StaticFiles(directory=STATIC_DIR), name="dashboard-static"),
    ]
