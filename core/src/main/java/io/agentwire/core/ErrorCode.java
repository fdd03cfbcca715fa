package io.agentwire.core;

/**
 * Stable error codes. The names are part of the wire contract of every dialect (UPPER_SNAKE, never renamed);
 * docs/errors.md lists them. Add codes at the end of their group; never reuse a name for another meaning.
 */
public enum ErrorCode {
    // validation: the client's message is wrong
    INVALID_JSON(ErrorClass.VALIDATION, "the message is not valid JSON"),
    INVALID_MESSAGE(ErrorClass.VALIDATION, "the message is not a JSON object"),
    MISSING_FIELD(ErrorClass.VALIDATION, "a required field is missing"),
    INVALID_FIELD(ErrorClass.VALIDATION, "a field has the wrong type or value"),
    UNKNOWN_EVENT(ErrorClass.VALIDATION, "the event is not one this server accepts"),
    UNKNOWN_STEP(ErrorClass.VALIDATION, "no pending step has this step_id"),
    SESSION_REQUIRED(ErrorClass.VALIDATION, "the event needs a session_id of a session this connection owns"),
    SESSION_FORBIDDEN(ErrorClass.VALIDATION, "the session can not be used by this principal"),
    SESSION_CLOSED(ErrorClass.VALIDATION, "the session is closed and accepts no new runs"),
    RUN_IN_PROGRESS(ErrorClass.VALIDATION, "the session already has a run in progress"),
    UNSUPPORTED_FRAME(ErrorClass.VALIDATION, "binary frames are not part of this protocol"),
    INVALID_ROOM(ErrorClass.VALIDATION, "the room name is not one this server knows"),
    AGENT_NAME_TAKEN(ErrorClass.VALIDATION, "another agent is registered under this name"),
    NOT_REGISTERED(ErrorClass.VALIDATION, "the remote agent must register before anything else"),
    UNKNOWN_RUN(ErrorClass.VALIDATION, "no run in progress with this run_id belongs to this agent"),
    // recovery
    SESSION_NOT_FOUND(ErrorClass.VALIDATION, "no such session"),
    SESSION_EXPIRED(ErrorClass.VALIDATION, "the session is past its time to live"),
    // resource
    RATE_LIMITED(ErrorClass.RESOURCE, "too many messages; slow down"),
    PAYLOAD_TOO_LARGE(ErrorClass.RESOURCE, "the message is larger than the maximum payload"),
    SESSION_LIMIT(ErrorClass.RESOURCE, "the principal has its maximum of open sessions; close one or let one expire"),
    SLOW_CONSUMER(ErrorClass.RESOURCE, "the client did not read fast enough and its send queue overflowed"),
    // authentication
    AUTH_MISSING(ErrorClass.VALIDATION, "no credentials were given"),
    AUTH_FAILED(ErrorClass.VALIDATION, "the credentials were not accepted"),
    ROOM_ACCESS_DENIED(ErrorClass.VALIDATION, "the principal may not join this room"),
    // transient
    TIMEOUT(ErrorClass.TRANSIENT, "the step timed out"),
    CONFIRM_TIMEOUT(ErrorClass.TRANSIENT, "the confirmation was not answered in time"),
    STORE_UNAVAILABLE(ErrorClass.TRANSIENT, "durable storage is unavailable"),
    BROKER_UNAVAILABLE(ErrorClass.TRANSIENT, "the broker is unavailable"),
    UPSTREAM_ERROR(ErrorClass.TRANSIENT, "an upstream service failed"),
    // permanent
    AGENT_NOT_FOUND(ErrorClass.PERMANENT, "no agent with this name is registered"),
    AGENT_FAILED(ErrorClass.PERMANENT, "the agent failed"),
    RUN_INTERRUPTED(ErrorClass.PERMANENT, "the server stopped while the run was in progress"),
    INTERNAL_ERROR(ErrorClass.PERMANENT, "an internal error occurred"),
    MODEL_REJECTED(ErrorClass.PERMANENT, "the model refused the request"),
    TOOL_FAILED(ErrorClass.PERMANENT, "a tool call failed"),
    PLAN_UNREADABLE(ErrorClass.PERMANENT, "the planner's output could not be read as a plan"),
    // connection
    HEARTBEAT_TIMEOUT(ErrorClass.CONNECTION, "the connection was silent for longer than the heartbeat timeout"),
    CONNECTION_LOST(ErrorClass.CONNECTION, "a connection of the session dropped"),
    SERVER_SHUTDOWN(ErrorClass.CONNECTION, "the server is shutting down"),
    REMOTE_AGENT_LOST(ErrorClass.CONNECTION, "the remote agent running the run disconnected and did not come back in time");

    private final ErrorClass errorClass;
    private final String defaultMessage;

    ErrorCode(ErrorClass errorClass, String defaultMessage) {
        this.errorClass = errorClass;
        this.defaultMessage = defaultMessage;
    }

    public ErrorClass errorClass() { return errorClass; }
    public String defaultMessage() { return defaultMessage; }
}
