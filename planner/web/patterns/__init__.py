"""The dystonia pattern pages: record it on the patient's page, and within a re-evaluation."""
