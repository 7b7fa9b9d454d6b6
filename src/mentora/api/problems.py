"""Errors as problem details (RFC 9457): every error of the API is answered with core's `problem`."""

from http import HTTPStatus

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from mentora.core.errors import StateConflict
from mentora.core.problems import problem


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError):
        errors = [
            {"location": ".".join(str(part) for part in error.get("loc", [])), "message": error.get("msg", "")}
            for error in exc.errors
        ]
        return problem(422, "Invalid request", "Some fields are missing or invalid.", errors=errors)

    @api.exception_handler(DjangoValidationError)
    def refused_by_a_service(request: HttpRequest, exc: DjangoValidationError):
        """A service refused the input (the same message a page shows on its form): 422, or 409 when the
        input is fine but the current state refuses it (StateConflict; docs/architecture.md)."""
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        errors = [{"location": f"body.{field}" if field and field != "__all__" else "body", "message": " ".join(messages)}
                  for field, messages in fields.items()]
        if isinstance(exc, StateConflict):
            return problem(409, "Conflict", " ".join(exc.messages), errors=errors)
        return problem(422, "Invalid request", " ".join(exc.messages), errors=errors)

    @api.exception_handler(ObjectDoesNotExist)
    def does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist):
        return problem(404, "Not found", "No such object, or you may not see it.")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return problem(401, "Not authenticated", "Log in or send a personal access token.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied):
        return problem(403, "Forbidden", str(exc) or "You may not do this.")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        return problem(404, "Not found", "No such object, or you may not see it.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        return problem(exc.status_code, _title(exc.status_code), str(exc))


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
