-- over: keeps every event the rule can match
  (coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND (NOT coalesce(lower(useridentity.sessioncontext.attributes.mfaauthenticated) = 'true', FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  (coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND (NOT coalesce(lower(useridentity.sessioncontext.attributes.mfaauthenticated) = 'true', FALSE)))
