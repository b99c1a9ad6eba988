// Run by the compose job mongo-init with mongosh against mongo1. Safe to run again: it initiates the replica set
// only once and creates each service's user only when it is missing (and otherwise sets its password).
const admin = db.getSiblingDB('admin');
admin.auth('root', process.env.MONGO_ROOT_PASSWORD);

let initiated = true;
try {
  rs.status();
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') throw e;
  initiated = false;
}
if (!initiated) {
  rs.initiate({
    _id: 'rs0',
    members: [
      { _id: 0, host: 'mongo1:27017', priority: 2 },
      { _id: 1, host: 'mongo2:27017', priority: 1 },
      { _id: 2, host: 'mongo3:27017', priority: 1 },
    ],
  });
  print('replica set rs0 initiated');
}

// Users are written on the primary: connect to the set and wait until it has one.
const root = encodeURIComponent(process.env.MONGO_ROOT_PASSWORD);
let primary;
for (let i = 0; i < 60; i++) {
  try {
    primary = connect(`mongodb://root:${root}@mongo1:27017,mongo2:27017,mongo3:27017/admin?replicaSet=rs0&authSource=admin`);
    if (primary.hello().isWritablePrimary) break;
  } catch (e) {
    print(`waiting for a primary: ${e.message}`);
  }
  sleep(2000);
}

// One user per service, allowed only its own database: services never read each other's collections.
const users = [
  ['task', 'supervision_tasks', 'MONGO_TASK_PASSWORD'],
  ['notify', 'supervision_notify', 'MONGO_NOTIFY_PASSWORD'],
  ['audit', 'supervision_audit', 'MONGO_AUDIT_PASSWORD'],
  ['gateway', 'supervision_gateway', 'MONGO_GATEWAY_PASSWORD'],
];
for (const [user, database, variable] of users) {
  const password = process.env[variable];
  if (!password) throw new Error(`${variable} is not set`);
  const target = primary.getSiblingDB(database);
  const roles = [{ role: 'readWrite', db: database }, { role: 'dbAdmin', db: database }];
  if (target.getUser(user)) {
    target.updateUser(user, { pwd: password, roles });
  } else {
    target.createUser({ user, pwd: password, roles });
  }
  print(`user ${user} on ${database} ready`);
}
