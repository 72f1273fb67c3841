-- over: keeps every event the rule can match
     coalesce(lower(eventname) = 'deletevirtualmfadevice', FALSE)
  OR (coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) AND (errorcode IS NULL))
-- under: keeps only events the rule surely matches (printed under NOT)
     coalesce(lower(eventname) = 'deletevirtualmfadevice', FALSE)
  OR (coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) AND (errorcode IS NULL))
