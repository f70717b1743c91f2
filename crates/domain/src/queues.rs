//! The states of the two queues the background work runs on: jobs (`jobs.state`) and e-mails
//! waiting to be sent (`mail_outbox.state`).

use crate::named::named;

named! {
    /// Where a job is: waiting for its time, taken by an instance, finished, or given up after
    /// its last attempt.
    pub enum JobState {
        Queued = "queued",
        Running = "running",
        Done = "done",
        Dead = "dead",
    }
}

named! {
    /// Where an e-mail is: waiting, being sent by an instance, sent, or given up.
    pub enum MailState {
        Queued = "queued",
        Sending = "sending",
        Sent = "sent",
        Dead = "dead",
    }
}
