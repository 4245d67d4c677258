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

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
