module sparkk8s.local/pause

go 1.24.0
