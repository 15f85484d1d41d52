"""Migration operations of the project's own.

`CreateModels` creates a whole app's tables in one step, for the squashed first migrations a fresh
database takes (docs/decisions/0006-squashed-migrations.md). Django applies each operation against
the models it has rendered so far and re-renders, after every `CreateModel`, every model related to
the new one, and every model related to those: about as many models as the project has, once per
model, which made `migrate` on a new database take ~20 s of CPU. Here the operations change the
project state together and the related models are rendered once; the tables are then created from
the state after all of them, in the order given, so every field, index and constraint the operations
add to those models is created with its table.
"""

from __future__ import annotations

from django.db.migrations.operations import CreateModel
from django.db.migrations.operations.base import Operation


class CreateModels(Operation):
    """Create models as these operations describe them, rendering the project state once.

    Only `CreateModel` operations and operations on the models they create (AddField, AddIndex,
    AddConstraint, ...) belong here: the tables are created in their final form, so the others have
    nothing left to do in the database."""

    reversible = True

    def __init__(self, operations: list[Operation]):
        self.operations = operations
        created = {op.name_lower for op in operations if isinstance(op, CreateModel)}
        for op in operations:
            if not isinstance(op, CreateModel) and getattr(op, "model_name_lower", None) not in created:
                raise ValueError(f"CreateModels holds only operations on the models it creates, not {op!r}.")

    def deconstruct(self):
        return (self.__class__.__name__, [self.operations], {})

    def state_forwards(self, app_label, state):
        # With no rendered apps in the state, each operation only records its model state; the new models
        # are then rendered once, together, with the models they point to and those pointing at these
        # (`delay`, as Django renders for AlterField: the state is marked delayed, so a RunPython after
        # this renders every model afresh). state.reload_models does nothing when nothing was rendered.
        rendered = state.__dict__.pop("apps", None)
        try:
            for operation in self.operations:
                operation.state_forwards(app_label, state)
        finally:
            if rendered is not None:
                state.__dict__["apps"] = rendered
        state.reload_models([(app_label, op.name_lower) for op in self._creates()], delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self._creates():
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for operation in reversed(self._creates()):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def references_model(self, name, app_label):
        return any(op.references_model(name, app_label) for op in self.operations)

    def describe(self):
        return "Create " + ", ".join(op.name for op in self._creates())

    @property
    def migration_name_fragment(self):
        return "create_models"

    def _creates(self) -> list[CreateModel]:
        return [op for op in self.operations if isinstance(op, CreateModel)]
