package io.premiumbot.worker.telegram;

/** The caller's last check before sending said no (the job is no longer its own): nothing went to Telegram. */
public final class CallWithheld extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CallWithheld(String why) {
        super(why, null, false, false);
    }
}
