"""factory_boy factories for plain rows; rows whose creation grants access go through services."""

import factory

from core.models import Organisation, Person, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[-6:])
    unit_type = Organisation.UnitType.GOV_DEPT


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    home_unit = factory.SubFactory(OrganisationFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Test-pass-2017!")
