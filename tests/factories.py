"""Test data builders. Profiles are made through the real service so that search documents are right."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import factory

from courtyard.people import services
from courtyard.people.models import Department, Location, Profile, Tag

PASSWORD = "a-long-test-password-42"
_counter = itertools.count(1)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("path",)

    name = factory.Sequence(lambda n: f"Department {n}")
    path = factory.LazyAttribute(lambda o: o.name)
    depth = 0


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"City {n}")
    timezone = "Europe/Berlin"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("kind", "slug")

    kind = Tag.Kind.INTEREST
    name = factory.Sequence(lambda n: f"Interest {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


def make_profile(
    *,
    email: str | None = None,
    full_name: str | None = None,
    password: str | None = PASSWORD,
    is_admin: bool = False,
    department: Department | str | None = None,
    **fields: Any,
) -> Profile:
    n = next(_counter)
    if isinstance(department, str):
        department = services.department_ensure_path(department)
    fields.setdefault("timezone", "Europe/Berlin")
    fields.setdefault("start_date", dt.date(2020, 1, 1))
    return services.profile_create(
        email=email or f"person{n}@example.com",
        full_name=full_name or f"Person {n}",
        password=password,
        is_admin=is_admin,
        department=department,
        **fields,
    )
