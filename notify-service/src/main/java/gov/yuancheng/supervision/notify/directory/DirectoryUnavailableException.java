package gov.yuancheng.supervision.notify.directory;

/** Keycloak could not be asked and nothing usable is cached: the caller waits and tries again. */
public class DirectoryUnavailableException extends RuntimeException {

    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
