"""The player: playback widget (player_widget), what to play (plan) and the history recorder
(session). Import the modules directly: importing the package must not load QtMultimedia."""
