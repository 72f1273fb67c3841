-- over: keeps every event the rule can match
  ((coalesce(lower(eventname) = 'consolelogin', FALSE) OR coalesce(lower(eventname) = 'enablemfadevice', FALSE)) AND coalesce(lower(useridentity.type) = 'iamuser', FALSE))
-- under: keeps only events the rule surely matches (printed under NOT)
  ((coalesce(lower(eventname) = 'consolelogin', FALSE) OR coalesce(lower(eventname) = 'enablemfadevice', FALSE)) AND coalesce(lower(useridentity.type) = 'iamuser', FALSE))
