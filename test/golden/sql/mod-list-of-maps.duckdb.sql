-- over: keeps every event the rule can match
     (coalesce(lower(eventname) = 'deletevirtualmfadevice', FALSE) OR coalesce(strlen(eventname) <> length(eventname), FALSE))
  OR ((coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) OR coalesce(strlen(eventname) <> length(eventname), FALSE)) AND ((errorcode IS NULL) OR coalesce(strlen(errorcode) <> length(errorcode), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
     (coalesce(lower(eventname) = 'deletevirtualmfadevice', FALSE) AND (NOT coalesce(strlen(eventname) <> length(eventname), FALSE)))
  OR ((coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) AND (NOT coalesce(strlen(eventname) <> length(eventname), FALSE))) AND ((errorcode IS NULL) AND (NOT coalesce(strlen(errorcode) <> length(errorcode), FALSE))))
