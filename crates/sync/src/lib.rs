//! The app's sync engine: pushes the vault's outbox to the central server and
//! pulls the user's caseload back, in the background, surviving bad networks.
