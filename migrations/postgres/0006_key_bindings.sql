-- Every public key Ward encrypts to (an organisation's, a member's, a portal
-- account's, a recipient's OpenPGP certificate) is bound to its owner by an
-- HMAC under the instance key: a key written into the database behind
-- Ward's back has no valid binding, and nothing is sealed to it.
CREATE TABLE key_bindings (
    owner_kind TEXT NOT NULL,
    owner_id   TEXT NOT NULL,
    mac        TEXT NOT NULL,
    PRIMARY KEY (owner_kind, owner_id)
);
