-- over: keeps every event the rule can match
  (((coalesce(lower(eventname) = 'consolelogin', FALSE) OR coalesce(lower(eventname) = 'enablemfadevice', FALSE)) OR coalesce(strlen(eventname) <> length(eventname), FALSE)) AND (coalesce(lower(useridentity.type) = 'iamuser', FALSE) OR coalesce(strlen(useridentity.type) <> length(useridentity.type), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  (((coalesce(lower(eventname) = 'consolelogin', FALSE) OR coalesce(lower(eventname) = 'enablemfadevice', FALSE)) AND (NOT coalesce(strlen(eventname) <> length(eventname), FALSE))) AND (coalesce(lower(useridentity.type) = 'iamuser', FALSE) AND (NOT coalesce(strlen(useridentity.type) <> length(useridentity.type), FALSE))))
