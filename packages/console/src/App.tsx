import { useSignalEffect } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso/router';
import { InboxPage } from './components/InboxPage.js';
import { ChangePassword, SignIn } from './components/SignIn.js';
import { Inbox } from './inbox.js';
import { loadMe, me } from './session.js';

/** Signed in: the inbox, one live model for the whole session. */
function SignedIn() {
  const session = me.value!;
  const inbox = useMemo(() => new Inbox(session), [session.agent.id, session.csrfToken]);
  useEffect(() => {
    void inbox.load();
    return () => inbox.close();
  }, [inbox]);
  useSignalEffect(() => {
    document.title = inbox.title.value;
  });
  return (
    <Router>
      <Route path="/console/admin/:section" component={InboxPage} inbox={inbox} view="admin" />
      <Route path="/console/:view/c/:id" component={InboxPage} inbox={inbox} />
      <Route path="/console/:view" component={InboxPage} inbox={inbox} />
      <Route default component={InboxPage} inbox={inbox} />
    </Router>
  );
}

function Gate() {
  const location = useLocation();
  useEffect(() => {
    void loadMe().catch(() => {
      me.value = null;
    });
  }, []);
  const session = me.value;
  // Back to where the agent was going once they are in (an expired session lands here too).
  useEffect(() => {
    if (session && location.path === '/console/login') location.route('/console/', true);
  }, [session, location.path]);
  if (session === undefined) return <div class="splash" aria-busy="true" />;
  if (session === null) return <SignIn />;
  if (session.passwordChangeRequired) return <ChangePassword />;
  return <SignedIn />;
}

export function App() {
  return (
    <LocationProvider scope="/console">
      <Gate />
    </LocationProvider>
  );
}
