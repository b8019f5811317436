"""The one business error: a request a rule of the programme refuses.

Services raise it (or a subclass, such as ``atelier.workflow.TransitionError``) with a French
message meant for the person who asked; views catch it where they can say more (a form
error, a flash message), and ``atelier.middleware.BusinessErrorMiddleware`` turns any other
into a 4xx page showing the message. It is never a 500.
"""


class BusinessError(Exception):
    """A refused request; ``message`` is shown to the user, ``status`` is the HTTP status."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
