"""The patient's phone pages behind a private link, and the therapist's link and progress views."""
