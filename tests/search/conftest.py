from tests.groups.conftest import open_group, organizer, private_group, reactions, request_group, sent  # noqa: F401
