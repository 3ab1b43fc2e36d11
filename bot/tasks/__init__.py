"""What a citizen comes to do: register as a jobseeker, request a document."""
