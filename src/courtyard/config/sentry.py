"""Error reports to Sentry (optional: `pip install courtyard[sentry]`), switched on by SENTRY_DSN."""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured


def sentry_init(dsn: str, **overrides: Any) -> None:
    # Imported here, not at the top: sentry-sdk is an optional extra, needed only once SENTRY_DSN is set.
    try:
        import sentry_sdk  # noqa: PLC0415 - optional dependency
        from sentry_sdk.integrations.django import DjangoIntegration  # noqa: PLC0415 - optional dependency
        from sentry_sdk.integrations.huey import HueyIntegration  # noqa: PLC0415 - optional dependency
    except ImportError as exc:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but the Sentry SDK is not installed: pip install 'courtyard[sentry]'"
        ) from exc
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), HueyIntegration()],
        # No personal data: no user ids or emails, no IP addresses, cookies or request bodies. Members'
        # profiles, kudos and survey answers must not leave the installation with an error report.
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        **overrides,
    )
