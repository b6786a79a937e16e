/**
 * {@code INTAKE=share}: the input topic read as a member of a Kafka share group (KIP-932), every
 * record acquired, locked and acknowledged on its own. {@link dev.pew.intake.share.ShareIntake} runs
 * the lanes and coordinates them; each {@link dev.pew.intake.share.ShareLane} drives one share
 * consumer; {@link dev.pew.intake.share.LaneAcknowledger} and {@link
 * dev.pew.intake.share.AckAnswers} are what a lane tells the broker and what it hears back; {@link
 * dev.pew.intake.share.LedgerGate} holds records back until the ledger knows their partition's sends.
 *
 * <p><b>How Kafka 4.3's share consumer is driven here</b> (explicit acknowledgement, {@code
 * share.acquire.mode=record_limit}). Every record a poll returned must be acknowledged before the
 * next poll, and a poll returns new records only once every record of the previous one was
 * acknowledged with ACCEPT, RELEASE or REJECT; so a lane holds one batch at a time (the intake runs
 * several lanes so that one slow record does not stop intake). Acknowledgements go out with {@code
 * commitAsync()}, which also runs the acknowledgement callback. A RENEW extends a lock and the
 * renewed record is returned again by a later poll; a poll made while a renewal is still unanswered
 * also fetches (and locks) new records behind the lane's back, so the lane polls for renewed records
 * only once every renewal it sent was answered: then the poll fetches nothing. Renewals go out for
 * all unfinished records of the lane together, once the first of them is half-way to its lock's
 * expiry. Every poll that finds no records asks for a fetch, and one asked for while the previous
 * fetch's records are being taken in fetches a second batch that waits, locked, in the consumer's
 * buffer: so a lane asking for records waits inside one poll ({@code askTimeout}, during which the
 * consumer keeps fetching by itself) instead of polling again and again.
 *
 */
package dev.pew.intake.share;
