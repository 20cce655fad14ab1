"""Two API schemas of the same class name collide in the OpenAPI document: one's fields are published for both
operations (the workers' MeOut once replaced the account's /api/v1/me answer). Every schema name is one shape."""

from collections import defaultdict

from ninja import Schema

from sanxin.api.api import api  # noqa: F401  (loads every app's routers and their schemas)


def all_schemas(cls=Schema):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_schemas(sub)


def test_every_api_schema_name_names_one_shape():
    shapes = defaultdict(set)
    for schema in all_schemas():
        if schema.__module__.startswith("sanxin."):
            shapes[schema.__name__].add(repr(sorted(schema.model_json_schema().items())))
    clashes = {name: len(found) for name, found in shapes.items() if len(found) > 1}
    assert clashes == {}, f"同名而结构不同的接口模型：{clashes}"
