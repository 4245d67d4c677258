"""The one way a rule says no.

Every area's rules raise `Refused` when a request breaks a rule; views show it with
`portal.views.refused_form` (beside the field it names, or above the form) and answer 422,
so that htmx, tests and the user all see that nothing was stored.
"""


class Refused(ValueError):
    """A change the rules refuse.

    `message` is for the user (a lazy, translated string); `field` names the form field the
    message belongs beside, or is None when it is about the whole form.
    """

    def __init__(self, message, field: str | None = None, more: tuple = ()):
        super().__init__(str(message))
        self.message = message
        self.field = field
        # Further refusals of the same request, when a rule checks several fields at once.
        self.more = tuple(more)

    @classmethod
    def of(cls, problems: dict) -> "Refused":
        """One refusal for several problems by field (None: the whole form); the first leads."""
        (field, message), *rest = problems.items()
        return cls(message, field, more=[cls(m, f) for f, m in rest])

    def all(self) -> list["Refused"]:
        """This refusal and the further ones, in order."""
        return [self, *self.more]
