-- over: keeps every event the rule can match
     (coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND (coalesce(lower(eventname) = 'createuser', FALSE) OR coalesce(lower(eventname) = 'createloginprofile', FALSE) OR coalesce(lower(eventname) = 'deleteloginprofile', FALSE) OR coalesce(lower(eventname) = 'enablemfadevice', FALSE) OR coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) OR coalesce(lower(eventname) = 'deleteuser', FALSE)))
  OR (coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'consolelogin', FALSE))
-- under: keeps only events the rule surely matches (printed under NOT)
     (coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND (coalesce(lower(eventname) = 'createuser', FALSE) OR coalesce(lower(eventname) = 'createloginprofile', FALSE) OR coalesce(lower(eventname) = 'deleteloginprofile', FALSE) OR coalesce(lower(eventname) = 'enablemfadevice', FALSE) OR coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) OR coalesce(lower(eventname) = 'deleteuser', FALSE)))
  OR (coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'consolelogin', FALSE))
