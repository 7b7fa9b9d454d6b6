"""The demo network (`mentora demo`): the base network, then every app's own demo step."""
