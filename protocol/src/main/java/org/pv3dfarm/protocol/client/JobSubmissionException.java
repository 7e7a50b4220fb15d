package org.pv3dfarm.protocol.client;

/** The broker did not acknowledge a job request (unreachable, timed out, topic missing...). */
public class JobSubmissionException extends RuntimeException {

    public JobSubmissionException(String message, Throwable cause) {
        super(message, cause);
    }

    static JobSubmissionException wrap(Throwable cause) {
        if (cause instanceof JobSubmissionException e) {
            return e;
        }
        return new JobSubmissionException("the job request was not acknowledged: " + cause, cause);
    }
}
