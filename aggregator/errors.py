"""hirewire's one exception tree.

    HirewireError
    ├── ConfigError            a setting is invalid (names the setting)
    ├── FetchError             getting bytes failed
    │   ├── TransientFetchError    worth retrying later (timeouts, 429, 5xx, connection reset)
    │   └── PermanentFetchError    not worth retrying (4xx, body too large, wrong content type, robots)
    ├── ParseError             a payload is not a document of the source at all
    ├── DeliveryError          a notification could not be delivered
    │   ├── TransientDeliveryError retry on the schedule (network, timeout, 429, 5xx)
    │   └── PermanentDeliveryError give up (4xx, refused destination)
    │       └── DestinationGone    410: disable the alert
    ├── UnsafeDestination      a webhook URL resolves to a private/loopback/metadata address
    └── InputError             a user's value is invalid (names the field)
"""

from __future__ import annotations


class HirewireError(Exception):
    """Base of every error hirewire raises on purpose."""


class ConfigError(HirewireError):
    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting


class FetchError(HirewireError):
    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        #: Set by the fetcher when it gives up: tries made and time spent, for fetch_runs.
        self.attempts = 1
        self.duration_ms = 0


class TransientFetchError(FetchError):
    pass


class PermanentFetchError(FetchError):
    pass


class ParseError(HirewireError):
    pass


class DeliveryError(HirewireError):
    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class TransientDeliveryError(DeliveryError):
    pass


class PermanentDeliveryError(DeliveryError):
    pass


class DestinationGone(PermanentDeliveryError):
    pass


class UnsafeDestination(HirewireError):
    pass


class InputError(HirewireError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
