"""The therapist's pages for what happens between visits: questionnaires, injections, the timeline."""
